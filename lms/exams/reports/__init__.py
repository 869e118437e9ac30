"""成绩分析: the session report (charts, squad and position comparisons, item table) and its PDF and Excel."""
