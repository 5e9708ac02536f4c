from tests.apptest import run_app
def test_smoke(people):
    at = run_app(people.trainer, page="screens/library.py")
    assert not at.exception, at.exception
    print([t.value for t in at.title], len(at.button))
    b = next(b for b in at.button if b.key == "copy:quiz-indicateurs")
    b.click().run()
    assert not at.exception, at.exception
    print([h.value for h in at.header], [e.value for e in at.error])
    at.text_input(key=[k for k in [w.key for w in at.text_input] if k.endswith(".title")][0]).input("Mon quiz adapté").run()
    next(b for b in at.button if b.key and b.key.endswith("#save")).click().run()
    assert not at.exception, at.exception
    print([s.value for s in at.success], [e.value for e in at.error])
