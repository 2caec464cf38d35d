"""Nothing of oversight is registered in the Django admin, on purpose.

An emergency access names a case and holds a reason about a person: case data, which the admin
never shows (see ``core/admin.py``). Supervisors review accesses on the Emergency access page;
data protection officers see them in the audit view.
"""
