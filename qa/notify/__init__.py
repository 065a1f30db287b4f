"""Results flowing out of callqa: webhooks to the systems a team already uses."""
