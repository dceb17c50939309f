#!/usr/bin/env python3
# -*- coding: utf-8 -*-

# Copyright notice
"""Docstring after comments."""
