"""Bills, their stages and timeline, meetings, votes, documents and draft texts."""
