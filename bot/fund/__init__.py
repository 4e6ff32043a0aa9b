"""The student aid fund: eligibility, amounts from the schedule, approval steps, and asking in chat."""
