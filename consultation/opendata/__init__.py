"""
Open data in bulk: everything public, as files rebuilt every night.

So that nobody has to page through the API for a copy, a nightly task
(:func:`build.build_open_data`, the beat's ``build-open-data``; by hand
``manage.py build_open_data``) writes:

- ``akn.zip``: every published version of every published bill and every text
  in force of every regulation as Akoma Ntoso 3.0 XML (``legislation.akn``);
- ``text.zip``: the same documents as plain text (``legislation.plaintext``);
- ``comments.csv`` and ``comments.jsonl``: every comment the public may read,
  with its decision, reason and where it was taken up, and nothing about who
  made it (the public comment API's fields, no more).

One archive per kind rather than one per bill: a reader who wants everything
downloads two files, not hundreds, and the list of files stays the same from
night to night (a bill's archive would come and go with the bill); inside, the
paths (``bills/<slug>/version-2.akn.xml``, ``laws/<slug>/2024-03-01.txt``)
let anyone take one bill out.

The files go to the default storage under ``open-data/``, each night's in a
folder of its own, and ``open-data/manifest.json`` names them with their size,
SHA-256 and time (:mod:`.files`). The manifest is replaced last and in one
step, so a reader always finds complete files of one night. The public page
``/open-data/`` and the API's ``/api/v1/open-data/`` list the manifest.
"""
