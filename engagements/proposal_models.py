"""Service-change proposals and their involvement screening (being built; see issue 5)."""
