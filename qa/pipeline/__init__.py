"""The call pipeline: ingest → consent gate → transcribe → redact → score → store.

Each stage is a small module; `process.process_call(database_url, call_id)` is the one function
a local process pool or a Celery worker runs per call.
"""
