"""The live view: a read-only web service that streams events, incidents, quotes and articles from
the record topics to the browser (server-sent events). ``wirestream worker web``."""
