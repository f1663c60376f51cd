"""Dates and times as people write them in each language, where Django's own formats differ.

Chinese: 2026年12月4日 14:30 (Django's zh_Hans formats, kept); English: 4 Dec 2026, 14:30 (Django's American
"Dec. 4, 2026, 2:30 p.m." reads oddly beside Chinese dates and 24-hour times).
"""
