"""Facts of Arabic news text, each in one place: normalising, tokens and stems, numbers, dates,
lines and page furniture, attribution, and the known news sources."""
