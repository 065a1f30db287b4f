"""Offline training of the learned checks (rude language, politeness) from public labelled data.

Training needs scikit-learn (a development dependency); the runtime applies the written weights
with numpy alone (`scorecards/learned.py`).
"""
