"""Question imports (Excel, GIFT, Moodle XML) and the Excel export. Entry point: `service.import_questions`."""
