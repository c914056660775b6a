"""Online evaluation forms (แบบประเมินออนไลน์)."""
