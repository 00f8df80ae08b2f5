"""
Similar comments found for staff: near-duplicate groups and same-point suggestions.

* :mod:`.signatures` — what makes two comments near-duplicates (MinHash over
  jieba words, locality-sensitive band keys);
* :mod:`.clustering` — the one rule that puts comments into groups;
* :mod:`.models`, :mod:`.services` — the stored groups, kept as comments are
  entered, imported or corrected; :mod:`.decisions` — changing a group by hand
  and deciding a whole group;
* :mod:`.samepoint` — softer suggestions: groups that may make one point;
* :mod:`.selectors` — groups for the triage board and the API;
* :mod:`.quality` — precision and recall on the labelled set (``labelled.json``).
"""
