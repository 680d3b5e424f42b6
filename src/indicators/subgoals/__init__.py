"""The indicators, by the national gender-equality sub-goal they follow up, and the scorecard (goals) that judges them against their targets."""
