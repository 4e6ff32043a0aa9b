"""Conversations with people: understanding one answer, and what the bot is waiting for from someone."""
