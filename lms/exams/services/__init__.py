"""Exam services: business rules that admin screens, commands and tasks all call."""
