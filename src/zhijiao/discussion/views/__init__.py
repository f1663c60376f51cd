"""The forum pages: a run's forum (讨论区, 答疑区, 待回答 for the teaching team, search), a thread, the forms that
start threads and reply, the moderation forms, and a discussion block's answers inside a unit."""
