namespace Shop.Orders;

/// <summary>The body of <c>POST /orders</c>.</summary>
public sealed record OrderRequest(string Customer, string Email, IReadOnlyList<OrderLine> Lines);

/// <summary>One line of an order.</summary>
public sealed record OrderLine(string Product, int Quantity, decimal UnitPrice);
