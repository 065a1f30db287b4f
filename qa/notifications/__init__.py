"""Results flowing out: webhooks to the tools a contact center already uses."""
