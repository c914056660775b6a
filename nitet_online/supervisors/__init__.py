"""ศึกษานิเทศก์: the supervisor directory and each supervisor's personal site with its page builder."""
