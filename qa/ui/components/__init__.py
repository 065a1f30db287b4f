"""Small drawing helpers shared by the pages."""
