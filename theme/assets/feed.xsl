<?xml version="1.0" encoding="utf-8"?>
<!--
  Shows an RSS feed of the disclosure site as a readable Chinese page when someone opens it in a
  browser. Everything shown comes from the feed through xsl:value-of or attribute value templates,
  which the XSLT processor escapes; disable-output-escaping is never used. No external resources.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"
    exclude-result-prefixes="atom content">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <!-- "Tue, 20 Feb 2024 00:00:00 +0800" (RFC 822 as the feeds write it) → "2024-02-20" -->
  <xsl:template name="date">
    <xsl:param name="rfc822"/>
    <xsl:variable name="mon" select="substring($rfc822, 9, 3)"/>
    <xsl:variable name="m" select="string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', $mon)) div 3 + 1"/>
    <xsl:choose>
      <xsl:when test="string-length($rfc822) &gt;= 16 and contains('JanFebMarAprMayJunJulAugSepOctNovDec', $mon)">
        <xsl:value-of select="concat(substring($rfc822, 13, 4), '-', format-number($m, '00'), '-', substring($rfc822, 6, 2))"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$rfc822"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="/">
    <xsl:apply-templates select="rss/channel"/>
  </xsl:template>

  <xsl:template match="channel">
    <xsl:variable name="self" select="atom:link[@rel='self']/@href"/>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="robots" content="noindex"/>
        <title><xsl:value-of select="title"/>（RSS 订阅源）</title>
        <style>
          body { margin: 0; font: 16px/1.7 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #1f1f1f; background: #f6f7f9; }
          header { background: #b3261e; color: #fff; padding: 1.2em 1em; }
          header a { color: #fff; }
          main, .wrap { max-width: 52em; margin: 0 auto; padding: 0 1em; }
          h1 { font-size: 1.5em; margin: .2em 0; line-height: 1.3; }
          .desc { margin: .2em 0 0; opacity: .95; }
          .about { background: #fff; border: 1px solid #d0d4d9; border-left: 6px solid #b3261e; border-radius: .4em; padding: .8em 1.2em; margin: 1.2em 0; }
          .about h2 { font-size: 1.1em; margin: .2em 0 .4em; }
          .about ol { margin: .3em 0; padding-left: 1.4em; }
          .addr { display: block; width: 100%; box-sizing: border-box; font: inherit; font-family: ui-monospace, monospace; padding: .4em .6em; border: 1px solid #8a9099; border-radius: .3em; background: #fbfbfc; margin: .3em 0; }
          .items { list-style: none; margin: 0; padding: 0; }
          .items li { background: #fff; border: 1px solid #d0d4d9; border-radius: .4em; padding: .7em 1em; margin: 0 0 .7em; }
          .items a { font-weight: 600; font-size: 1.05em; color: #174ea6; }
          .meta { color: #5f6368; font-size: .88em; display: flex; flex-wrap: wrap; gap: .2em 1.2em; }
          .summary { margin: .3em 0 0; }
          .empty { color: #5f6368; font-style: italic; }
          footer { color: #5f6368; font-size: .85em; padding: 1em 0 2em; }
          a:focus { outline: 3px solid #f9ab00; outline-offset: 2px; }
        </style>
      </head>
      <body>
        <header>
          <div class="wrap">
            <h1><xsl:value-of select="title"/></h1>
            <p class="desc"><xsl:value-of select="description"/></p>
          </div>
        </header>
        <main>
          <section class="about" aria-labelledby="about-h">
            <h2 id="about-h">这是一个 RSS 订阅源</h2>
            <p>订阅后，本栏目有新公开的政府信息时，您使用的阅读器会自动收到，不必反复打开网站查看。</p>
            <ol>
              <li>复制下面的订阅地址（也就是本页在浏览器地址栏中的地址）；</li>
              <li>打开您的 RSS 阅读器（手机或电脑上的“RSS 阅读器”“订阅”类应用均可），选择“添加订阅”；</li>
              <li>粘贴地址并确认。</li>
            </ol>
            <label for="addr">订阅地址：</label>
            <input id="addr" class="addr" type="text" readonly="readonly" value="{$self}"/>
            <p>
              <a href="{link}">返回网站查看本栏目</a>
            </p>
          </section>
          <h2>最新信息（<xsl:value-of select="count(item)"/> 条）</h2>
          <xsl:choose>
            <xsl:when test="item">
              <ol class="items">
                <xsl:for-each select="item">
                  <li>
                    <a href="{link}"><xsl:value-of select="title"/></a>
                    <div class="meta">
                      <time>
                        <xsl:call-template name="date">
                          <xsl:with-param name="rfc822" select="pubDate"/>
                        </xsl:call-template>
                      </time>
                      <span>索引号 <xsl:value-of select="guid"/></span>
                      <xsl:for-each select="enclosure">
                        <span><a href="{@url}">附件 <xsl:value-of select="position()"/></a></span>
                      </xsl:for-each>
                    </div>
                    <xsl:if test="string(description)">
                      <p class="summary"><xsl:value-of select="description"/></p>
                    </xsl:if>
                  </li>
                </xsl:for-each>
              </ol>
            </xsl:when>
            <xsl:otherwise>
              <p class="empty">本栏目暂无信息。有新信息公开后会出现在这里。</p>
            </xsl:otherwise>
          </xsl:choose>
        </main>
        <footer class="wrap">
          <xsl:if test="lastBuildDate">
            最近更新：<xsl:call-template name="date"><xsl:with-param name="rfc822" select="lastBuildDate"/></xsl:call-template>
          </xsl:if>
        </footer>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
