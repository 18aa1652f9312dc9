<?cs # index.cs: the landing page. ?><?cs include:"_head.cs" ?>
<section class="hero">
<h1><?cs var:Lang.landing.heading ?></h1>
<p class="lead"><?cs var:Lang.landing.lead ?></p>
<p><a class="btn" href="/auth/login"><?cs var:Lang.landing.signin ?></a></p>
<p class="hint"><?cs var:Lang.landing.signin_hint ?></p>
</section>
<section class="card" aria-labelledby="join-h">
<h2 id="join-h"><?cs var:Lang.landing.join.heading ?></h2>
<form method="get" action="/" class="join">
<label for="reunion"><?cs var:Lang.landing.join.label ?></label>
<?cs if:Form.error ?><p class="error" id="reunion-err" role="alert"><?cs var:Form.error ?></p><?cs /if ?>
<input id="reunion" name="reunion" type="text" inputmode="url" autocomplete="off" maxlength="512" required
 value="<?cs var:Form.reunion ?>" placeholder="<?cs var:Lang.landing.join.placeholder ?>"<?cs if:Form.error ?> aria-invalid="true" aria-describedby="reunion-err"<?cs /if ?>>
<button type="submit" class="btn"><?cs var:Lang.landing.join.button ?></button>
</form>
<p class="hint"><?cs var:Lang.landing.join.hint ?></p>
</section>
<section aria-labelledby="what-h">
<h2 id="what-h"><?cs var:Lang.landing.what.heading ?></h2>
<ul class="features">
<?cs each:f = Lang.landing.features ?><li><strong><?cs var:f.title ?></strong> <?cs var:f.text ?></li>
<?cs /each ?></ul>
</section>
<?cs include:"_foot.cs" ?>
