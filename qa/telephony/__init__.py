"""Calls as phone systems write them: CDRs, queue logs and recording folders, turned into calls."""
