"""One module per page; each exposes `render() -> None` and reads through `qa.queries`."""
