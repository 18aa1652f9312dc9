<?cs # s.cs: a personal-room link that leads nowhere (never made, or replaced), and what to do. ?><?cs include:"_head.cs" ?>
<section class="card">
<h1><?cs var:Lang.sala.join.heading ?></h1>
<p class="error" role="alert"><?cs var:Form.error ?></p>
<p><?cs var:Lang.sala.join.ask ?></p>
<p><a href="/sala"><?cs var:Lang.sala.heading ?></a></p>
</section>
<?cs include:"_foot.cs" ?>
