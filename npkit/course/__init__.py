"""The course layer: the training content and grading (`training`), the widgets that show
what the engine decided (`widgets`), the binding of a page to its learner (`binding`), and
the Voila course (`dashboard`, `build`, `launch`). It reads the law and engine layers and
the stores; nothing below it imports it (.importlinter)."""
