"""The store layer: learners' saved answers (`learners`, on SQLite or PostgreSQL through
`sql`) and workshop polls (`workshop`). It imports nothing from the course layer
(.importlinter)."""
