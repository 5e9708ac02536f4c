"""Moving content between installs and other tools: Moodle XML (quiz questions, situational items)
and content packs (a zip of exercise YAML and datasets). Conversions are pure; imports into the
library go through ``training_modules.library.save_exercise`` in the caller's transaction, and
imported situational items become YAML in the bank's schema (``moodle.add_items_to_bank``)."""
