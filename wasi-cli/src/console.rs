//! Showing diagnostics to a person: the headline, the offending line with a
//! caret under the span, and the help.

use std::io::Write;

use flit_core::diagnostic::Diagnostic;

/// Writes `diagnostic` to `out`. `source` is the text of the file the
/// diagnostic is about, when it is available, for the snippet.
pub fn render(out: &mut dyn Write, diagnostic: &Diagnostic, source: Option<&str>) -> std::io::Result<()> {
    writeln!(out, "{}", diagnostic.headline())?;
    if let (Some(location), Some(source)) = (&diagnostic.location, source)
        && let Some(line) = source.split('\n').nth(location.line.saturating_sub(1))
    {
        let number = location.line.to_string();
        let gutter = " ".repeat(number.len());
        let line = line.trim_end_matches('\r');
        let width = line.chars().count();
        let start = location.column.saturating_sub(1).min(width);
        let end = if location.end_line == location.line { location.end_column.saturating_sub(1) } else { width };
        let carets = end.saturating_sub(start).max(1);
        // Tabs keep their width under the caret line.
        let padding: String = line.chars().take(start).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        writeln!(out, "{gutter} |")?;
        writeln!(out, "{number} | {line}")?;
        writeln!(out, "{gutter} | {padding}{}", "^".repeat(carets))?;
    }
    if let Some(help) = &diagnostic.help {
        writeln!(out, "  help: {help}")?;
    }
    Ok(())
}
