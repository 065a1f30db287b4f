"""The query layer: everything the UI reads or writes goes through here, with access checked."""
