"""ทำเนียบเกียรติยศ: honours to teachers, directors, students and schools, and certificates."""
