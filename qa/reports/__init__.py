"""What leaves the platform: the evaluations CSV, the monthly client report, and their charts."""
