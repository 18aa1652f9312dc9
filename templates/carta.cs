<?cs # carta.cs: the carta responsiva, shown and signed with e.firma. ?><?cs include:"_head.cs" ?>
<section class="card">
<h1><?cs var:Lang.carta.heading ?></h1>
<?cs if:Form.awaiting ?>
<p role="status"><?cs var:Lang.carta.awaiting ?></p>
<?cs else ?>
<p><?cs var:Lang.carta.lead ?></p>
<pre class="carta" tabindex="0"><?cs var:Form.nonce ?></pre>
<form method="post" action="/carta" enctype="multipart/form-data" class="efirma" data-efirma="sign">
<?cs include:"_efirma.cs" ?>
<p><button type="submit" class="btn"><?cs var:Lang.carta.button ?></button></p>
</form>
<?cs /if ?>
</section>
<?cs if:!Form.awaiting ?><script src="/static/js/efirma.js?v=<?cs var:Site.V ?>" defer></script><?cs /if ?>
<?cs include:"_foot.cs" ?>
