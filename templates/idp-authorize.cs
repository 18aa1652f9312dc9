<?cs # idp-authorize.cs: the built-in provider's sign-in page. ?><?cs include:"_head.cs" ?>
<section class="card">
<h1><?cs var:Lang.signin.heading ?></h1>
<p><?cs var:Lang.signin.lead ?></p>
<form method="post" action="/idp/authorize" enctype="multipart/form-data" class="efirma" data-efirma="sign">
<?cs include:"_efirma.cs" ?>
<p><button type="submit" class="btn"><?cs var:Lang.signin.button ?></button></p>
</form>
</section>
<script src="/static/js/efirma.js?v=<?cs var:Site.V ?>" defer></script>
<?cs include:"_foot.cs" ?>
