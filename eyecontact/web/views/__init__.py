"""The web app's pages: each parses the request, calls a selector or service, renders.

``accounts`` covers home, workspaces and invitations; ``people`` the people list and a person's
page; ``touches`` logging touches; ``events`` the events. Partials for htmx live next to the
pages in ``templates/web/partials/``.
"""
