"""Visit statistics, outcome indicators and the dashboards (สถิติ ตัวชี้วัด)."""
