"""Brand and topic monitoring (e-réputation): rules on the watch, monitoring watches, mentions, alerts.

``query`` parses and evaluates the rule language; ``rules`` and ``watches`` hold the public API
(every function takes ``session, actor``); ``plugin`` applies both to new entries at refresh time.
"""
