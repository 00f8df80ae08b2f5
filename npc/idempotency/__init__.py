"""Safe retries: a POST sent again with the same Idempotency-Key creates nothing twice."""
