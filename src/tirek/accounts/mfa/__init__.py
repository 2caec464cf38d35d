"""Multi-factor authentication (django-otp: TOTP app + recovery codes) and re-authentication."""
