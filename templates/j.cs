<?cs # j.cs: a meeting (or a guest's link) that cannot be entered now, and why. ?><?cs include:"_head.cs" ?>
<section class="card">
<h1><?cs var:Lang.join.heading ?></h1>
<p class="error" role="alert"><?cs var:Form.error ?><?cs if:Form.when ?> <?cs var:Form.when ?>.<?cs /if ?></p>
<?cs if:Req.uid ?><p><a href="/reuniones"><?cs var:Lang.meeting.list.heading ?></a></p><?cs else ?><p><a href="/"><?cs var:Lang.err.home ?></a></p><?cs /if ?>
</section>
<?cs include:"_foot.cs" ?>
