"""Views, one module per area: ``caseload`` (clients, contacts, profiles, cover, access log),
``jobs`` (employers, employer contacts, jobs, education) and ``week`` (coach's and lead's week).
"""
