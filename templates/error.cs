<?cs # error.cs: every error page (Page.status); the message never echoes the request. ?><?cs include:"_head.cs" ?>
<section class="card error-page">
<p class="code"><?cs var:Page.status ?></p>
<h1><?cs if:Lang.err[Page.status].title ?><?cs var:Lang.err[Page.status].title ?><?cs else ?><?cs var:Lang.err.other.title ?><?cs /if ?></h1>
<p><?cs if:Lang.err[Page.status].text ?><?cs var:Lang.err[Page.status].text ?><?cs else ?><?cs var:Lang.err.other.text ?><?cs /if ?></p>
<p><a href="/"><?cs var:Lang.err.home ?></a></p>
</section>
<?cs include:"_foot.cs" ?>
