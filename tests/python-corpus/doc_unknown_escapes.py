"Unknown: \d \8 \{ \é \ kept"
