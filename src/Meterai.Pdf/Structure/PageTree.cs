using Meterai.Pdf.Budget;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Structure;

/// <summary>
/// Finds one page (§7.7.3) by walking from the root down the path to it: at each level the kids' /Count values say
/// which subtree holds the page, so only the nodes on that path and their siblings are read, never the whole tree.
/// When the counts do not add up, a full bounded walk decides; when a damaged file has no usable tree at all, the
/// pages the recovery scan found are gathered under a rebuilt root.
/// </summary>
internal static class PageTree
{
    private static readonly PdfRect Letter = new(0, 0, 612, 792);

    private sealed class Inherited
    {
        public PdfObject? MediaBox;
        public PdfObject? CropBox;
        public PdfObject? Rotate;

        public Inherited With(PdfDictionary node) => new()
        {
            MediaBox = node["MediaBox"] ?? MediaBox,
            CropBox = node["CropBox"] ?? CropBox,
            Rotate = node["Rotate"] ?? Rotate,
        };
    }

    /// <summary>Locates page <paramref name="pageNumber"/> (1-based).</summary>
    public static PageInfo Locate(PdfDocument doc, PdfDictionary catalog, int pageNumber)
    {
        var root = doc.ResolveDictionary(catalog["Pages"]);
        if (root is not null && doc.Resolve(root["Kids"]) is PdfArray)
        {
            var found = NavigateByCount(doc, root, pageNumber - 1) ?? FullWalk(doc, root, pageNumber - 1);
            if (found is not null) return found;
        }

        if (doc.Recovery is { PageObjects.Count: > 0 }) return Rebuild(doc, pageNumber);
        throw new PdfFormatException(PdfErrorCodes.Truncated, "the file has no readable page tree: it is damaged beyond repair");
    }

    private static PageInfo? NavigateByCount(PdfDocument doc, PdfDictionary root, int index)
    {
        if (doc.Resolve(root["Count"]) is not PdfInteger { Value: >= 0 } total) return null;
        if (index >= total.Value) return null; // counts can lie: only the full walk may say the page does not exist
        var node = root;
        var inherited = new Inherited().With(root);
        var remaining = (long)index;
        var visited = new HashSet<PdfDictionary>(ReferenceEqualityComparer.Instance) { root };
        for (var depth = 0; depth < doc.Limits.MaxPageTreeDepth; depth++)
        {
            if (doc.Resolve(node["Kids"]) is not PdfArray kids) return null;
            var nodeCount = doc.Resolve(node["Count"]) is PdfInteger c ? c.Value : -1;
            PdfDictionary? next = null;
            if (nodeCount == kids.Count)
            {
                // A node whose count equals its number of kids holds one page per kid (in any sane file): jump straight to it.
                if (remaining >= kids.Count) return null;
                var kidRef = kids[(int)remaining];
                var kid = doc.ResolveDictionary(kidRef);
                if (kid is null) return null;
                if (IsLeaf(kid)) return Leaf(doc, kidRef, kid, inherited, (int)total.Value);
                if (doc.Resolve(kid["Count"]) is not PdfInteger { Value: 1 }) return null;
                next = kid;
                remaining = 0;
            }
            else
            {
                foreach (var kidRef in kids)
                {
                    WorkBudget.Tick();
                    var kid = doc.ResolveDictionary(kidRef);
                    if (kid is null) return null;
                    if (IsLeaf(kid))
                    {
                        if (remaining == 0) return Leaf(doc, kidRef, kid, inherited, (int)total.Value);
                        remaining--;
                        continue;
                    }

                    if (doc.Resolve(kid["Count"]) is not PdfInteger { Value: >= 0 } kidCount) return null;
                    if (remaining < kidCount.Value)
                    {
                        next = kid;
                        break;
                    }

                    remaining -= kidCount.Value;
                }
            }

            if (next is null || !visited.Add(next)) return null;
            inherited = inherited.With(next);
            node = next;
        }

        return null;
    }

    /// <summary>Enumerates every leaf in order (bounded, loops skipped), for trees whose counts cannot be trusted.</summary>
    private static PageInfo? FullWalk(PdfDocument doc, PdfDictionary root, int index)
    {
        var visited = new HashSet<PdfDictionary>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(PdfDictionary Node, Inherited Inherited, int NextKid, int Depth)>();
        stack.Push((root, new Inherited().With(root), 0, 0));
        visited.Add(root);
        var count = 0;
        var nodes = 0;
        PdfObject? targetRef = null;
        PdfDictionary? target = null;
        Inherited? targetInherited = null;
        while (stack.Count > 0)
        {
            var (node, inherited, nextKid, depth) = stack.Pop();
            WorkBudget.Tick();
            if (doc.Resolve(node["Kids"]) is not PdfArray kids || nextKid >= kids.Count) continue;
            stack.Push((node, inherited, nextKid + 1, depth));
            if (++nodes > doc.Limits.MaxPageTreeNodes) throw PdfFormatException.Limit($"the page tree has more than {doc.Limits.MaxPageTreeNodes} nodes");
            var kidRef = kids[nextKid];
            var kid = doc.ResolveDictionary(kidRef);
            if (kid is null || !visited.Add(kid)) continue;
            if (IsLeaf(kid))
            {
                if (count == index)
                {
                    targetRef = kidRef;
                    target = kid;
                    targetInherited = inherited;
                }

                count++;
                continue;
            }

            if (depth + 1 >= doc.Limits.MaxPageTreeDepth) throw PdfFormatException.Limit($"the page tree is deeper than {doc.Limits.MaxPageTreeDepth} levels");
            stack.Push((kid, inherited.With(kid), 0, depth + 1));
        }

        if (count == 0) return null;
        if (target is null) throw new PdfFormatException(PdfErrorCodes.PageOutOfRange, $"page {index + 1} does not exist: the document has {count} page{(count == 1 ? "" : "s")}");
        return Leaf(doc, targetRef!, target, targetInherited!, count);
    }

    private static PageInfo Rebuild(PdfDocument doc, int pageNumber)
    {
        var recovery = doc.Recovery!;
        var kids = new List<PdfReference>();
        var parents = new HashSet<PdfReference>();
        PdfDictionary? target = null;
        foreach (var number in recovery.PageObjects.Distinct())
        {
            var reference = new PdfReference(number, doc.GenerationOf(number));
            if (doc.ResolveDictionary(reference) is not { } page) continue;
            if (kids.Count == pageNumber - 1) target = page;
            kids.Add(reference);
            parents.Add(page["Parent"] as PdfReference ?? new PdfReference(0, 0));
        }

        if (kids.Count == 0) throw new PdfFormatException(PdfErrorCodes.Truncated, "the file has no readable page tree: it is damaged beyond repair");
        if (target is null) throw new PdfFormatException(PdfErrorCodes.PageOutOfRange, $"page {pageNumber} does not exist: the document has {kids.Count} page{(kids.Count == 1 ? "" : "s")}");

        // When every page names the same missing parent, writing that object restores the tree without touching a page.
        int? existing = parents.Count == 1 && parents.First() is { Id.Number: > 0 } p && doc.Resolve(p) is PdfNull ? p.Id.Number : null;
        var rebuilt = new RebuiltPageTree(existing, kids, existing is null ? kids : []);
        return Leaf(doc, kids[pageNumber - 1], target, new Inherited(), kids.Count) with { Rebuilt = rebuilt };
    }

    private static bool IsLeaf(PdfDictionary node) =>
        node["Type"] is PdfName { Value: "Page" } || (node["Type"] is not PdfName { Value: "Pages" } && !node.ContainsKey("Kids"));

    private static PageInfo Leaf(PdfDocument doc, PdfObject reference, PdfDictionary page, Inherited inherited, int pageCount)
    {
        if (reference is not PdfReference pageRef)
        {
            throw new PdfFormatException(PdfErrorCodes.Malformed, "the page is not an indirect object, so it cannot be annotated");
        }

        var all = inherited.With(page);
        var media = PdfRect.From(all.MediaBox, doc.Resolve) is { IsEmpty: false } m ? m : Letter; // Letter: what viewers assume
        var crop = PdfRect.From(all.CropBox, doc.Resolve) is { IsEmpty: false } c ? c : media;
        var rotate = doc.Resolve(all.Rotate) is PdfInteger r ? (int)(((r.Value % 360) + 360) % 360) : 0;
        if (rotate % 90 != 0) rotate = 0; // not a multiple of 90: viewers ignore it
        return new PageInfo(pageRef, page, media, crop, rotate, pageCount);
    }
}
