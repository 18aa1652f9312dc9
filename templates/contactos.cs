<?cs # contactos.cs: directory search, favourites and frequent contacts, each with one-step meeting buttons; works without JavaScript. ?><?cs include:"_head.cs" ?>
<?cs def:person(p, list) ?><li><span id="<?cs var:list ?>-<?cs name:p ?>"><strong><?cs var:p.name ?></strong><?cs if:p.me == "t" ?> (<?cs var:Lang.contacts.you ?>)<?cs /if ?></span>
<span class="when"><?cs var:p.rfc ?><?cs if:p.email ?> · <?cs var:p.email ?><?cs /if ?> · <?cs var:Lang.contacts.employee_no ?> <?cs var:p.no ?><?cs if:p.unit ?> · <?cs var:p.unit ?><?cs /if ?><?cs if:p.n ?> · <?cs var:p.n ?> <?cs if:p.n == 1 ?><?cs var:Lang.contacts.meeting ?><?cs else ?><?cs var:Lang.contacts.meetings ?><?cs /if ?><?cs /if ?></span>
<?cs if:p.active == "f" ?><span class="hint"><?cs var:Lang.contacts.inactive ?></span><?cs /if ?>
<div class="when"><form method="post" action="/contactos" class="inline">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<input type="hidden" name="rfc" value="<?cs var:p.rfc ?>">
<input type="hidden" name="q" value="<?cs var:Form.q ?>">
<?cs if:p.fav == "t" ?><button type="submit" name="accion" value="quitar_favorito" class="btn-small" aria-describedby="<?cs var:list ?>-<?cs name:p ?>"><?cs var:Lang.contacts.remove_fav ?></button><?cs else ?><button type="submit" name="accion" value="favorito" class="btn-small" aria-describedby="<?cs var:list ?>-<?cs name:p ?>"><?cs var:Lang.contacts.add_fav ?></button><?cs /if ?>
</form>
<?cs if:p.me != "t" && p.active != "f" ?><form method="post" action="/reuniones/nueva" class="inline">
<input type="hidden" name="csrf" value="<?cs var:Req.csrf ?>">
<input type="hidden" name="tipo" value="instantanea">
<input type="hidden" name="con" value="<?cs var:p.rfc ?>">
<button type="submit" class="btn-small" aria-describedby="<?cs var:list ?>-<?cs name:p ?>"><?cs var:Lang.contacts.instant ?></button>
</form>
<a class="btn btn-small" href="/reuniones/nueva?internos=<?cs var:url_escape(p.rfc) ?>" aria-describedby="<?cs var:list ?>-<?cs name:p ?>"><?cs var:Lang.contacts.schedule ?></a><?cs /if ?></div></li>
<?cs /def ?>
<h1><?cs var:Lang.contacts.heading ?></h1>
<form method="get" action="/contactos" class="filters" role="search">
<?cs if:Form.error ?><p class="error" role="alert"><?cs var:Form.error ?></p><?cs /if ?>
<p><label for="q"><?cs var:Lang.contacts.q ?></label>
<input id="q" name="q" type="text" maxlength="100" value="<?cs var:Form.q ?>" aria-describedby="q-hint"></p>
<p class="hint" id="q-hint"><?cs var:Lang.contacts.q_hint ?></p>
<p><button type="submit"><?cs var:Lang.contacts.search ?></button></p>
</form>
<?cs if:Page.searched ?><section class="card" aria-labelledby="results-h">
<h2 id="results-h"><?cs var:Lang.contacts.results ?></h2>
<?cs if:subcount(Results) == 0 ?><p><?cs var:Lang.contacts.none ?></p><?cs else ?>
<ul class="meetings" id="results">
<?cs each:p = Results ?><?cs call:person(p, "r") ?><?cs /each ?></ul>
<?cs if:Page.next ?><p><a href="/contactos?q=<?cs var:url_escape(Form.q) ?>&amp;tras=<?cs var:url_escape(Page.next) ?>"><?cs var:Lang.contacts.next ?></a></p><?cs /if ?>
<?cs /if ?>
</section><?cs /if ?>
<section class="card" aria-labelledby="fav-h">
<h2 id="fav-h"><?cs var:Lang.contacts.favourites ?></h2>
<?cs if:subcount(Favourites) == 0 ?><p class="hint"><?cs var:Lang.contacts.no_favourites ?></p><?cs else ?>
<ul class="meetings" id="favourites">
<?cs each:p = Favourites ?><?cs call:person(p, "f") ?><?cs /each ?></ul>
<?cs /if ?>
</section>
<section class="card" aria-labelledby="freq-h">
<h2 id="freq-h"><?cs var:Lang.contacts.frequent ?></h2>
<p class="hint"><?cs var:Lang.contacts.frequent_hint ?></p>
<?cs if:subcount(Frequent) == 0 ?><p><?cs var:Lang.contacts.no_frequent ?></p><?cs else ?>
<ul class="meetings" id="frequent">
<?cs each:p = Frequent ?><?cs call:person(p, "q") ?><?cs /each ?></ul>
<?cs /if ?>
</section>
<?cs include:"_foot.cs" ?>
