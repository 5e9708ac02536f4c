"""The daily watch digest ("revue de veille"): recipient lists, selection and ranking of the new
entries, French rendering (HTML e-mail, plain text, Markdown, Atom), archive and SMTP delivery.

Typical use (what the CLI and the page do)::

    draft = build_draft(session, actor, list_id)        # select, rank, group, translate
    rendered = render_digest(draft)                     # subject, HTML, text, Markdown
    digest = publish(session, actor, list_id, draft)    # archive + one delivery row per recipient
    deliver_pending(list_id)                            # SMTP, outside the transaction
"""
