"""HTTP for generated clients: errors, auth, sessions with retries and paging (built on httpx)."""
