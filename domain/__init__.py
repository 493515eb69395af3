"""Prongsai's domain: aggregates, rules and vocabulary of the anti-corruption action plan.

Imports nothing but the standard library and the ``eventsourcing`` aggregate base.
"""
