"""Importers that read what a phone system already writes (CDRs, recordings) into callqa."""
