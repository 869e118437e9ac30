"""Write-side services of the question bank; views, admin screens, commands and imports all call these."""
