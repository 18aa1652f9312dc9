<?cs # idp-restart.cs: the sign-in request expired or was used: start again. ?><?cs include:"_head.cs" ?>
<section class="card">
<h1><?cs var:Lang.signin.heading ?></h1>
<p class="error" role="alert"><?cs var:Form.error ?></p>
<p><a class="btn" href="/auth/login"><?cs var:Lang.signin.restart ?></a></p>
</section>
<?cs include:"_foot.cs" ?>
