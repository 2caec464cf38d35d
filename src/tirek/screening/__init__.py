"""Identification: the ILO/EC indicator catalogues, screenings and the decision rule."""
